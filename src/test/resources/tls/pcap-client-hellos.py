import struct,sys
def packets(data):
    magic=data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1',b'\xa1\xb2\xc3\xd4'):
        e='<' if magic==b'\xd4\xc3\xb2\xa1' else '>'
        link=struct.unpack(e+'I',data[20:24])[0]
        off=24
        while off+16<=len(data):
            _,_,incl,_=struct.unpack(e+'IIII',data[off:off+16]); off+=16
            yield link,data[off:off+incl]; off+=incl
    else:
        off=0; e='<'; links=[]
        while off+12<=len(data):
            bt,bl=struct.unpack(e+'II',data[off:off+8])
            if bt==0x0A0D0D0A:
                bom=data[off+8:off+12]; e='<' if bom==b'\x4d\x3c\x2b\x1a' else '>'
                bt,bl=struct.unpack(e+'II',data[off:off+8])
            body=data[off+8:off+bl-4]
            if bt==1: links.append(struct.unpack(e+'H',body[:2])[0])
            if bt==6:
                iface,_,_,cap,_=struct.unpack(e+'IIIII',body[:20])
                yield links[iface],body[20:20+cap]
            off+=bl
def tcp_payload(link,p):
    if link==1: eth=14; et=struct.unpack('>H',p[12:14])[0]
    elif link==113: eth=16; et=struct.unpack('>H',p[14:16])[0]
    else: return None
    while et==0x8100: et=struct.unpack('>H',p[eth+2:eth+4])[0]; eth+=4
    ip=p[eth:]
    if ip[0]>>4==4:
        ihl=(ip[0]&15)*4; 
        if ip[9]!=6: return None
        tot=struct.unpack('>H',ip[2:4])[0]; t=ip[ihl:tot]
    elif ip[0]>>4==6:
        if ip[6]!=6: return None
        t=ip[40:40+struct.unpack('>H',ip[4:6])[0]]
    else: return None
    return t[(t[12]>>4)*4:]
for f in sys.argv[1:]:
    d=open(f,'rb').read(); n=0
    for link,p in packets(d):
        pl=tcp_payload(link,p)
        if pl and len(pl)>9 and pl[0]==0x16 and pl[5]==1:
            L=struct.unpack('>H',pl[3:5])[0]
            print(f, 'reclen',L,'have',len(pl)-5, pl[:5+L].hex() if len(pl)>=5+L else 'INCOMPLETE')
            n+=1
            if n>=2: break
